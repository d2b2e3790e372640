/** The reporting channel's control tests (channel-open, reports-handled), registered on import. */
export {};

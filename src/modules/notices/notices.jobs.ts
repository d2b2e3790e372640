/** Scheduled work of the notices module, registered with registerScheduledTask. */
export {};

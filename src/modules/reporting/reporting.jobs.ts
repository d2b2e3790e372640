/** Scheduled work of the reporting module, registered with registerScheduledTask. */
export {};

/** This module's section of the public trust center page (registerTrustSection). */
export {};

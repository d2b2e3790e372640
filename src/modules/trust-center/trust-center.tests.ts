/** Control tests that read the trust center (services-described, commitments-published, policy-public). */
export {};

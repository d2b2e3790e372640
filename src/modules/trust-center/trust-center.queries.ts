/** The audit log's labels of the trust center: its one page. */
export const trustCenterAuditTargets = {
  trust_center: { page: { name: "the trust center", path: "/trust-center" } },
  trust_center_publication: { page: { name: "the trust center", path: "/trust-center" } },
  trust_center_logo: { page: { name: "the trust center logo", path: "/trust-center" } },
};

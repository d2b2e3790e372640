// The customers area's data (customers, disposal tasks and records, the import), named from
// the generated schema (web/src/api/schema.d.ts).
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type Customer = Answer<"/api/v1/customers/{id}">;
export type CustomerSummary = ItemOf<"/api/v1/customers">;
export type CustomerStatus = CustomerSummary["status"];
export type CustomerChanges = RequestBody<"/api/v1/customers/{id}", "patch">;
export type NewCustomer = RequestBody<"/api/v1/customers", "post">;
export type DisposalTask = Customer["tasks"][number];
export type NewDisposal = RequestBody<"/api/v1/customers/{id}/disposals", "post">;
export type ImportPreview = Answer<"/api/v1/customer-imports/preview", "post">;
export type ImportResult = Answer<"/api/v1/customer-imports", "post">;

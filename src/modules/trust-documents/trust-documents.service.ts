// The old path of the documents' service, for code outside this area that still imports it.
export { createPolicyDocument } from "./trust-documents.editing.ts";

import { MAX_RESULTS } from "./scim.list.ts";
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "./scim.resources.ts";

/** The discovery documents (RFC 7643 §5–7, RFC 7644 §4): what Attest's SCIM service supports. */

const SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RT_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const DOCS = "https://github.com/attest/attest/blob/main/docs/scim.md";

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: DOCS,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "A SCIM token of the organization, created by an owner in Attest's settings.",
        specUri: "https://www.rfc-editor.org/rfc/rfc6750",
        documentationUri: DOCS,
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: [RT_SCHEMA],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A person of the organization",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RT_SCHEMA],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "A group, mapped to a job role",
      schema: GROUP_SCHEMA,
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
    },
  ];
}

interface Attr {
  name: string;
  type: "string" | "boolean" | "complex" | "reference" | "dateTime";
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: "readOnly" | "readWrite" | "immutable";
  uniqueness?: "none" | "server";
  subAttributes?: Attr[];
  referenceTypes?: string[];
  description?: string;
}

function attribute(a: Attr): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description ?? "",
    required: a.required ?? false,
    caseExact: a.caseExact ?? false,
    mutability: a.mutability ?? "readWrite",
    returned: "default",
    uniqueness: a.uniqueness ?? "none",
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attribute) } : {}),
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
  };
}

const USER_ATTRIBUTES: Attr[] = [
  {
    name: "userName",
    type: "string",
    required: true,
    uniqueness: "server",
    description: "Unique per organization, case-insensitive",
  },
  {
    name: "name",
    type: "complex",
    subAttributes: [
      { name: "givenName", type: "string" },
      { name: "familyName", type: "string" },
      { name: "formatted", type: "string", mutability: "readOnly" },
    ],
  },
  { name: "displayName", type: "string", description: "The person's name in Attest" },
  { name: "title", type: "string" },
  {
    name: "active",
    type: "boolean",
    description: "false ends employment today and starts offboarding",
  },
  {
    name: "emails",
    type: "complex",
    multiValued: true,
    description: "The primary (else work, else first) is the person's email",
    subAttributes: [
      { name: "value", type: "string" },
      { name: "type", type: "string" },
      { name: "primary", type: "boolean" },
    ],
  },
];

const ENTERPRISE_ATTRIBUTES: Attr[] = [
  { name: "employeeNumber", type: "string", caseExact: true },
  { name: "department", type: "string" },
  {
    name: "manager",
    type: "complex",
    description: "The manager, another provisioned user",
    subAttributes: [
      { name: "value", type: "string", description: "The manager's id" },
      { name: "$ref", type: "reference", referenceTypes: ["User"] },
    ],
  },
];

const GROUP_ATTRIBUTES: Attr[] = [
  {
    name: "displayName",
    type: "string",
    required: true,
    uniqueness: "server",
    description: "The job role its members hold",
  },
  {
    name: "members",
    type: "complex",
    multiValued: true,
    subAttributes: [
      { name: "value", type: "string", mutability: "immutable" },
      { name: "display", type: "string", mutability: "readOnly" },
      { name: "$ref", type: "reference", referenceTypes: ["User"], mutability: "immutable" },
    ],
  },
];

export function schemas(base: string) {
  const schema = (id: string, name: string, description: string, attributes: Attr[]) => ({
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description,
    attributes: attributes.map(attribute),
    meta: { resourceType: "Schema", location: `${base}/Schemas/${id}` },
  });
  return [
    schema(USER_SCHEMA, "User", "A person of the organization", [
      { name: "externalId", type: "string", caseExact: true },
      ...USER_ATTRIBUTES,
    ]),
    schema(ENTERPRISE_SCHEMA, "EnterpriseUser", "Enterprise User", ENTERPRISE_ATTRIBUTES),
    schema(GROUP_SCHEMA, "Group", "A group, mapped to a job role", [
      { name: "externalId", type: "string", caseExact: true },
      ...GROUP_ATTRIBUTES,
    ]),
  ];
}

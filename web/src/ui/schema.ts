// Names for the generated API types (web/src/api/schema.d.ts, made by `npm run api:types` from
// the server's OpenAPI document). Each area aliases what it uses, e.g.
// `type Person = Answer<"/api/v1/people/{id}">`: no hand-written copy of a server schema.
import type { paths } from "../api/schema";

type ApiPath = keyof paths;
type Operation<P extends ApiPath, M extends string> = M extends keyof paths[P]
  ? paths[P][M]
  : never;
type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

/** The JSON an operation answers with when it succeeds (200, or 201 for a creation). */
export type Answer<P extends ApiPath, M extends string = "get"> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: infer A }
      ? Json<A>
      : R extends { 201: infer C }
        ? Json<C>
        : never
    : never;

/** The JSON body an operation takes. */
export type RequestBody<P extends ApiPath, M extends string> =
  Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends ApiPath, M extends string = "get"> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One item of a list the API answers with (`{ items: [...] }`). */
export type ItemOf<P extends ApiPath, M extends string = "get"> =
  Answer<P, M> extends { items: (infer I)[] } ? I : never;

// The session, which every area reads.
export type Me = Answer<"/api/v1/me">;
export type SessionUser = Me["user"];
export type Organization = Me["organization"];
export type Role = SessionUser["role"];
export type Permission = Me["permissions"][number];

// The vocabulary of control results, which several areas show.
export type Control = Answer<"/api/v1/controls/{key}">;
export type ControlStatus = Control["status"];
export type ControlTest = Control["tests"][number];
export type TestState = ControlTest["state"];
/** A record that makes a test fail or come due, and what to do about it. */
export type Offender = ControlTest["offenders"][number];
export type PersonRef = NonNullable<Control["owner"]>;
/** How many controls are in each status. */
export type StatusCounts = Answer<"/api/v1/dashboard">["overall"]["counts"];

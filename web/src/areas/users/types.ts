// The users area's API data, named from the generated schema.
import type { ItemOf, RequestBody } from "../../ui/schema";

export type User = ItemOf<"/api/v1/users">;
export type UserStatus = User["status"];
export type InviteUserInput = RequestBody<"/api/v1/users", "post">;
export type UpdateUserInput = RequestBody<"/api/v1/users/{id}", "patch">;

import type { Deps } from "../../platform/deps.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { clearSignInLock } from "./attempts.ts";
import { contextOf } from "./auth-hook.ts";

export function signInLockRoutes(app: App, deps: Deps) {
  app.delete(
    "/api/v1/users/:id/sign-in-lock",
    {
      config: { access: "users.manage" },
      schema: {
        tags: ["users"],
        summary: "Let a person sign in again at once after failed attempts made them wait",
        params: idParams,
      },
    },
    async (request, reply) => {
      await clearSignInLock(contextOf(request, deps), deps.keyring, request.params.id);
      return reply.code(204).send();
    },
  );
}

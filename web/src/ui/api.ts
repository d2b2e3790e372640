// The endpoints of the session every page stands on; each area lists its own in <area>/api.ts.
import { ApiError, get, post, remember, setCsrfToken } from "./http";
import type { Answer, Me } from "./schema";

export const api = {
  /** Whether first-run setup is still to be done. */
  setupStatus: () => get<Answer<"/api/v1/setup">>("/setup"),
  logout: () => post<void>("/auth/logout").finally(() => setCsrfToken(null)),

  /** The signed-in session, or null when nobody is signed in. */
  me: async (): Promise<Me | null> => {
    try {
      return remember(await get<Me>("/me"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
};

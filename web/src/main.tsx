import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App } from "./App";
import { ApiError } from "./ui/http";
import { keys } from "./ui/queries";
import "./styles.css";

// A 401 anywhere means the session ended: reload /me, and the guards send the user to /login.
// A CSRF rejection means our in-memory token is stale: /me hands out the current one.
function onApiError(error: unknown): void {
  if (!(error instanceof ApiError)) return;
  const sessionEnded = error.status === 401 && queryClient.getQueryData(keys.me);
  const staleCsrf = error.status === 403 && error.code.includes("csrf");
  if (sessionEnded || staleCsrf) void queryClient.invalidateQueries({ queryKey: keys.me });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      retry: (failureCount, error) =>
        failureCount < 2 &&
        (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

// Where keyboard focus goes when the page changes under it. A route change (or signing in)
// asks for the new page's heading to take focus; the heading takes it when it mounts, which
// is once the page's data has loaded, since pages show a loading state without a heading first.
// The first route a document shows, with its redirects, moves nothing: focus stays where the
// browser put it.

let requested = false;
let arrived = false;

/** The next page heading to mount (or the one already shown) takes focus. */
export function requestHeadingFocus(): void {
  requested = true;
  arrived = true;
}

/**
 * Called on every change of path. A redirect (a replaced entry) while the first route is still
 * being shown is part of arriving; any other change asks for the heading.
 */
export function noteRouteChange(replaced: boolean): void {
  if (!replaced) arrived = true;
  if (arrived) {
    requested = true;
    focusRequestedHeading(document.querySelector<HTMLElement>("#main h1"));
  }
}

/** Focuses `heading` if a route change asked for it and nothing has taken focus since. */
export function focusRequestedHeading(heading: HTMLElement | null): void {
  if (!requested || !heading?.hasAttribute("tabindex")) return;
  heading.focus();
  if (document.activeElement === heading) requested = false;
}

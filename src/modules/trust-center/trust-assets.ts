// Moved to the public-site kit; kept until the imports that name this path are rewritten.
export * from "../../public-site/assets.ts";

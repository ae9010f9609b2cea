// The contract suite runs against the real mock package: Prism on a free port of
// 127.0.0.1, started once and always stopped.
export { default } from "@ixpress/mock/vitest";

// The client's vitest is a different peer-resolution of the same version (esbuild is one of its
// optional peers here), so the mock's augmentation of `ProvidedContext` is repeated for it.
declare module "vitest" {
  export interface ProvidedContext {
    ixpressMockUrl: string;
  }
}

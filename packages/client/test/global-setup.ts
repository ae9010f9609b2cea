// The contract suite runs against the real mock package: Prism on a free port of
// 127.0.0.1, started once and always stopped.
export { default } from "@ixpress/mock/vitest";

// Build-time stand-in for 'zod/v3' inside the MCP SDK. threesix defines every schema with zod 4, so
// the SDK's zod 3 branches are never taken; this keeps ~150 KB of zod 3 off the start-up path.
const unsupported = () => {
  throw new Error('zod 3 schemas are not supported in this build');
};
export const object = unsupported;
export const ZodType = class {};
export const ZodFirstPartyTypeKind = {};

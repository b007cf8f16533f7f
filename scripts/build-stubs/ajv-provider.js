// Build-time stand-in for the MCP SDK's Ajv-backed JSON Schema validator. The server only uses it
// to check elicitation answers, and threesix never elicits; loading Ajv would cost ~270 KB of
// parsing on every start. Anything that does try to validate fails loudly.
export class AjvJsonSchemaValidator {
  getValidator() {
    throw new Error('JSON Schema validation of elicitation results is not available in this build');
  }
}

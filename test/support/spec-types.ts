/**
 * The parts of the official specification documents (OpenAPI 3, Swagger 2, Kubernetes CRDs) that
 * the spec checks read. The documents are far larger; every other keyword passes through untyped
 * (`unknown`), so reading one not declared here has to narrow it first.
 */

/** A JSON Schema as the specs write it (OpenAPI's dialect plus the Kubernetes extensions). */
export interface JsonSchema {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  [keyword: string]: unknown;
}

export interface SecurityScheme {
  in?: string;
  name?: string;
}

/** A parameter, or (OpenAPI 3) a `$ref` to one under components. */
export interface Parameter {
  $ref?: string;
  in?: string;
  name?: string;
  schema?: JsonSchema;
}

export interface MediaType {
  schema?: JsonSchema;
}

/** A response: OpenAPI 3 describes its body by `content`, Swagger 2 by `schema`; either may be a `$ref`. */
export interface Response {
  $ref?: string;
  content?: Record<string, MediaType>;
  schema?: JsonSchema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItem = { parameters?: Parameter[] } & Partial<Record<HttpMethod, Operation>>;

export interface OpenApiDocument {
  /** Swagger 2 only. */
  basePath?: string;
  paths: Record<string, PathItem>;
  /** Swagger 2 only. */
  securityDefinitions?: Record<string, SecurityScheme>;
  components?: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, SecurityScheme> };
}

/** A CustomResourceDefinition (apiextensions.k8s.io/v1) as its project publishes it. */
export interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: JsonSchema } }>;
  };
}

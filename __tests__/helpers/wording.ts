/** zod's default wording ("expected record, received string", "Too small: expected number to be >=1"). */
export const ZOD_WORDING = /received (string|number|object|array|boolean|null|undefined)|Too (small|big)|Invalid (input|option|key|element|union)|expected (record|array|string|number|int|object|boolean)\b|[<>]=\d/;

/** The yaml library's wording of syntax errors. */
export const YAML_WORDING = /compact mapping|Implicit (map )?keys|indicator|flow-map|Unexpected|sufficiently indented|Nested mappings|must be unique|parseAllDocuments|Plain value cannot/i;

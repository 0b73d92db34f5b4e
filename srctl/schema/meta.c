/*
 * The JSON Schema meta-schemas srctl knows without any file: draft 2020-12
 * (the dialect and its vocabulary meta-schemas) and draft-07, as published
 * at json-schema.org (https://json-schema.org/draft/2020-12/schema and
 * http://json-schema.org/draft-07/schema). Generated from those documents;
 * whitespace removed.
 */
#include "schema/internal.h"

#include <string.h>

#include "base/banned.h"

struct meta {
	const char *uri;
	const char *text;
};

static const struct meta metas[] = {
	{ "https://json-schema.org/draft/2020-12/schema",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/schema\","
	  "\"$vocabulary\":{\"https://json-schema.org/draft/2020-12/voc"
	  "ab/core\":true,\"https://json-schema.org/draft/2020-12/vocab"
	  "/applicator\":true,\"https://json-schema.org/draft/2020-12/v"
	  "ocab/unevaluated\":true,\"https://json-schema.org/draft/2020"
	  "-12/vocab/validation\":true,\"https://json-schema.org/draft/"
	  "2020-12/vocab/meta-data\":true,\"https://json-schema.org/dra"
	  "ft/2020-12/vocab/format-annotation\":true,\"https://json-sch"
	  "ema.org/draft/2020-12/vocab/content\":true},\"$dynamicAnchor"
	  "\":\"meta\",\"title\":\"Core and Validation specifications m"
	  "eta-schema\",\"allOf\":[{\"$ref\":\"meta/core\"},{\"$ref\":"
	  "\"meta/applicator\"},{\"$ref\":\"meta/unevaluated\"},{\"$ref"
	  "\":\"meta/validation\"},{\"$ref\":\"meta/meta-data\"},{\"$re"
	  "f\":\"meta/format-annotation\"},{\"$ref\":\"meta/content\"}]"
	  ",\"type\":[\"object\",\"boolean\"],\"$comment\":\"This meta-"
	  "schema also defines keywords that have appeared in previous "
	  "drafts in order to prevent incompatible extensions as they r"
	  "emain in common use.\",\"properties\":{\"definitions\":{\"$c"
	  "omment\":\"\\\"definitions\\\" has been replaced by \\\"$def"
	  "s\\\".\",\"type\":\"object\",\"additionalProperties\":{\"$dy"
	  "namicRef\":\"#meta\"},\"deprecated\":true,\"default\":{}},\""
	  "dependencies\":{\"$comment\":\"\\\"dependencies\\\" has been"
	  " split and replaced by \\\"dependentSchemas\\\" and \\\"depe"
	  "ndentRequired\\\" in order to serve their differing semantic"
	  "s.\",\"type\":\"object\",\"additionalProperties\":{\"anyOf\""
	  ":[{\"$dynamicRef\":\"#meta\"},{\"$ref\":\"meta/validation#/$"
	  "defs/stringArray\"}]},\"deprecated\":true,\"default\":{}},\""
	  "$recursiveAnchor\":{\"$comment\":\"\\\"$recursiveAnchor\\\" "
	  "has been replaced by \\\"$dynamicAnchor\\\".\",\"$ref\":\"me"
	  "ta/core#/$defs/anchorString\",\"deprecated\":true},\"$recurs"
	  "iveRef\":{\"$comment\":\"\\\"$recursiveRef\\\" has been repl"
	  "aced by \\\"$dynamicRef\\\".\",\"$ref\":\"meta/core#/$defs/u"
	  "riReferenceString\",\"deprecated\":true}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/core",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/core"
	  "\",\"$vocabulary\":{\"https://json-schema.org/draft/2020-12/"
	  "vocab/core\":true},\"$dynamicAnchor\":\"meta\",\"title\":\"C"
	  "ore vocabulary meta-schema\",\"type\":[\"object\",\"boolean"
	  "\"],\"properties\":{\"$id\":{\"$ref\":\"#/$defs/uriReference"
	  "String\",\"$comment\":\"Non-empty fragments not allowed.\","
	  "\"pattern\":\"^[^#]*#?$\"},\"$schema\":{\"$ref\":\"#/$defs/u"
	  "riString\"},\"$ref\":{\"$ref\":\"#/$defs/uriReferenceString"
	  "\"},\"$anchor\":{\"$ref\":\"#/$defs/anchorString\"},\"$dynam"
	  "icRef\":{\"$ref\":\"#/$defs/uriReferenceString\"},\"$dynamic"
	  "Anchor\":{\"$ref\":\"#/$defs/anchorString\"},\"$vocabulary\""
	  ":{\"type\":\"object\",\"propertyNames\":{\"$ref\":\"#/$defs/"
	  "uriString\"},\"additionalProperties\":{\"type\":\"boolean\"}"
	  "},\"$comment\":{\"type\":\"string\"},\"$defs\":{\"type\":\"o"
	  "bject\",\"additionalProperties\":{\"$dynamicRef\":\"#meta\"}"
	  "}},\"$defs\":{\"anchorString\":{\"type\":\"string\",\"patter"
	  "n\":\"^[A-Za-z_][-A-Za-z0-9._]*$\"},\"uriString\":{\"type\":"
	  "\"string\",\"format\":\"uri\"},\"uriReferenceString\":{\"typ"
	  "e\":\"string\",\"format\":\"uri-reference\"}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/applicator",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/appl"
	  "icator\",\"$vocabulary\":{\"https://json-schema.org/draft/20"
	  "20-12/vocab/applicator\":true},\"$dynamicAnchor\":\"meta\","
	  "\"title\":\"Applicator vocabulary meta-schema\",\"type\":[\""
	  "object\",\"boolean\"],\"properties\":{\"prefixItems\":{\"$re"
	  "f\":\"#/$defs/schemaArray\"},\"items\":{\"$dynamicRef\":\"#m"
	  "eta\"},\"contains\":{\"$dynamicRef\":\"#meta\"},\"additional"
	  "Properties\":{\"$dynamicRef\":\"#meta\"},\"properties\":{\"t"
	  "ype\":\"object\",\"additionalProperties\":{\"$dynamicRef\":"
	  "\"#meta\"},\"default\":{}},\"patternProperties\":{\"type\":"
	  "\"object\",\"additionalProperties\":{\"$dynamicRef\":\"#meta"
	  "\"},\"propertyNames\":{\"format\":\"regex\"},\"default\":{}}"
	  ",\"dependentSchemas\":{\"type\":\"object\",\"additionalPrope"
	  "rties\":{\"$dynamicRef\":\"#meta\"},\"default\":{}},\"proper"
	  "tyNames\":{\"$dynamicRef\":\"#meta\"},\"if\":{\"$dynamicRef"
	  "\":\"#meta\"},\"then\":{\"$dynamicRef\":\"#meta\"},\"else\":"
	  "{\"$dynamicRef\":\"#meta\"},\"allOf\":{\"$ref\":\"#/$defs/sc"
	  "hemaArray\"},\"anyOf\":{\"$ref\":\"#/$defs/schemaArray\"},\""
	  "oneOf\":{\"$ref\":\"#/$defs/schemaArray\"},\"not\":{\"$dynam"
	  "icRef\":\"#meta\"}},\"$defs\":{\"schemaArray\":{\"type\":\"a"
	  "rray\",\"minItems\":1,\"items\":{\"$dynamicRef\":\"#meta\"}}"
	  "}}" },
	{ "https://json-schema.org/draft/2020-12/meta/unevaluated",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/unev"
	  "aluated\",\"$vocabulary\":{\"https://json-schema.org/draft/2"
	  "020-12/vocab/unevaluated\":true},\"$dynamicAnchor\":\"meta\""
	  ",\"title\":\"Unevaluated applicator vocabulary meta-schema\""
	  ",\"type\":[\"object\",\"boolean\"],\"properties\":{\"unevalu"
	  "atedItems\":{\"$dynamicRef\":\"#meta\"},\"unevaluatedPropert"
	  "ies\":{\"$dynamicRef\":\"#meta\"}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/validation",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/vali"
	  "dation\",\"$vocabulary\":{\"https://json-schema.org/draft/20"
	  "20-12/vocab/validation\":true},\"$dynamicAnchor\":\"meta\","
	  "\"title\":\"Validation vocabulary meta-schema\",\"type\":[\""
	  "object\",\"boolean\"],\"properties\":{\"type\":{\"anyOf\":[{"
	  "\"$ref\":\"#/$defs/simpleTypes\"},{\"type\":\"array\",\"item"
	  "s\":{\"$ref\":\"#/$defs/simpleTypes\"},\"minItems\":1,\"uniq"
	  "ueItems\":true}]},\"const\":true,\"enum\":{\"type\":\"array"
	  "\",\"items\":true},\"multipleOf\":{\"type\":\"number\",\"exc"
	  "lusiveMinimum\":0},\"maximum\":{\"type\":\"number\"},\"exclu"
	  "siveMaximum\":{\"type\":\"number\"},\"minimum\":{\"type\":\""
	  "number\"},\"exclusiveMinimum\":{\"type\":\"number\"},\"maxLe"
	  "ngth\":{\"$ref\":\"#/$defs/nonNegativeInteger\"},\"minLength"
	  "\":{\"$ref\":\"#/$defs/nonNegativeIntegerDefault0\"},\"patte"
	  "rn\":{\"type\":\"string\",\"format\":\"regex\"},\"maxItems\""
	  ":{\"$ref\":\"#/$defs/nonNegativeInteger\"},\"minItems\":{\"$"
	  "ref\":\"#/$defs/nonNegativeIntegerDefault0\"},\"uniqueItems"
	  "\":{\"type\":\"boolean\",\"default\":false},\"maxContains\":"
	  "{\"$ref\":\"#/$defs/nonNegativeInteger\"},\"minContains\":{"
	  "\"$ref\":\"#/$defs/nonNegativeInteger\",\"default\":1},\"max"
	  "Properties\":{\"$ref\":\"#/$defs/nonNegativeInteger\"},\"min"
	  "Properties\":{\"$ref\":\"#/$defs/nonNegativeIntegerDefault0"
	  "\"},\"required\":{\"$ref\":\"#/$defs/stringArray\"},\"depend"
	  "entRequired\":{\"type\":\"object\",\"additionalProperties\":"
	  "{\"$ref\":\"#/$defs/stringArray\"}}},\"$defs\":{\"nonNegativ"
	  "eInteger\":{\"type\":\"integer\",\"minimum\":0},\"nonNegativ"
	  "eIntegerDefault0\":{\"$ref\":\"#/$defs/nonNegativeInteger\","
	  "\"default\":0},\"simpleTypes\":{\"enum\":[\"array\",\"boolea"
	  "n\",\"integer\",\"null\",\"number\",\"object\",\"string\"]},"
	  "\"stringArray\":{\"type\":\"array\",\"items\":{\"type\":\"st"
	  "ring\"},\"uniqueItems\":true,\"default\":[]}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/meta-data",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/meta"
	  "-data\",\"$vocabulary\":{\"https://json-schema.org/draft/202"
	  "0-12/vocab/meta-data\":true},\"$dynamicAnchor\":\"meta\",\"t"
	  "itle\":\"Meta-data vocabulary meta-schema\",\"type\":[\"obje"
	  "ct\",\"boolean\"],\"properties\":{\"title\":{\"type\":\"stri"
	  "ng\"},\"description\":{\"type\":\"string\"},\"default\":true"
	  ",\"deprecated\":{\"type\":\"boolean\",\"default\":false},\"r"
	  "eadOnly\":{\"type\":\"boolean\",\"default\":false},\"writeOn"
	  "ly\":{\"type\":\"boolean\",\"default\":false},\"examples\":{"
	  "\"type\":\"array\",\"items\":true}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/format-annotation",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/form"
	  "at-annotation\",\"$vocabulary\":{\"https://json-schema.org/d"
	  "raft/2020-12/vocab/format-annotation\":true},\"$dynamicAncho"
	  "r\":\"meta\",\"title\":\"Format vocabulary meta-schema for a"
	  "nnotation results\",\"type\":[\"object\",\"boolean\"],\"prop"
	  "erties\":{\"format\":{\"type\":\"string\"}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/format-assertion",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/form"
	  "at-assertion\",\"$vocabulary\":{\"https://json-schema.org/dr"
	  "aft/2020-12/vocab/format-assertion\":true},\"$dynamicAnchor"
	  "\":\"meta\",\"title\":\"Format vocabulary meta-schema for as"
	  "sertion results\",\"type\":[\"object\",\"boolean\"],\"proper"
	  "ties\":{\"format\":{\"type\":\"string\"}}}" },
	{ "https://json-schema.org/draft/2020-12/meta/content",
	  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema"
	  "\",\"$id\":\"https://json-schema.org/draft/2020-12/meta/cont"
	  "ent\",\"$vocabulary\":{\"https://json-schema.org/draft/2020-"
	  "12/vocab/content\":true},\"$dynamicAnchor\":\"meta\",\"title"
	  "\":\"Content vocabulary meta-schema\",\"type\":[\"object\","
	  "\"boolean\"],\"properties\":{\"contentEncoding\":{\"type\":"
	  "\"string\"},\"contentMediaType\":{\"type\":\"string\"},\"con"
	  "tentSchema\":{\"$dynamicRef\":\"#meta\"}}}" },
	{ "http://json-schema.org/draft-07/schema",
	  "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"$"
	  "id\":\"http://json-schema.org/draft-07/schema#\",\"title\":"
	  "\"Core schema meta-schema\",\"definitions\":{\"schemaArray\""
	  ":{\"type\":\"array\",\"minItems\":1,\"items\":{\"$ref\":\"#"
	  "\"}},\"nonNegativeInteger\":{\"type\":\"integer\",\"minimum"
	  "\":0},\"nonNegativeIntegerDefault0\":{\"allOf\":[{\"$ref\":"
	  "\"#/definitions/nonNegativeInteger\"},{\"default\":0}]},\"si"
	  "mpleTypes\":{\"enum\":[\"array\",\"boolean\",\"integer\",\"n"
	  "ull\",\"number\",\"object\",\"string\"]},\"stringArray\":{\""
	  "type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueIte"
	  "ms\":true,\"default\":[]}},\"type\":[\"object\",\"boolean\"]"
	  ",\"properties\":{\"$id\":{\"type\":\"string\",\"format\":\"u"
	  "ri-reference\"},\"$schema\":{\"type\":\"string\",\"format\":"
	  "\"uri\"},\"$ref\":{\"type\":\"string\",\"format\":\"uri-refe"
	  "rence\"},\"$comment\":{\"type\":\"string\"},\"title\":{\"typ"
	  "e\":\"string\"},\"description\":{\"type\":\"string\"},\"defa"
	  "ult\":true,\"readOnly\":{\"type\":\"boolean\",\"default\":fa"
	  "lse},\"examples\":{\"type\":\"array\",\"items\":true},\"mult"
	  "ipleOf\":{\"type\":\"number\",\"exclusiveMinimum\":0},\"maxi"
	  "mum\":{\"type\":\"number\"},\"exclusiveMaximum\":{\"type\":"
	  "\"number\"},\"minimum\":{\"type\":\"number\"},\"exclusiveMin"
	  "imum\":{\"type\":\"number\"},\"maxLength\":{\"$ref\":\"#/def"
	  "initions/nonNegativeInteger\"},\"minLength\":{\"$ref\":\"#/d"
	  "efinitions/nonNegativeIntegerDefault0\"},\"pattern\":{\"type"
	  "\":\"string\",\"format\":\"regex\"},\"additionalItems\":{\"$"
	  "ref\":\"#\"},\"items\":{\"anyOf\":[{\"$ref\":\"#\"},{\"$ref"
	  "\":\"#/definitions/schemaArray\"}],\"default\":true},\"maxIt"
	  "ems\":{\"$ref\":\"#/definitions/nonNegativeInteger\"},\"minI"
	  "tems\":{\"$ref\":\"#/definitions/nonNegativeIntegerDefault0"
	  "\"},\"uniqueItems\":{\"type\":\"boolean\",\"default\":false}"
	  ",\"contains\":{\"$ref\":\"#\"},\"maxProperties\":{\"$ref\":"
	  "\"#/definitions/nonNegativeInteger\"},\"minProperties\":{\"$"
	  "ref\":\"#/definitions/nonNegativeIntegerDefault0\"},\"requir"
	  "ed\":{\"$ref\":\"#/definitions/stringArray\"},\"additionalPr"
	  "operties\":{\"$ref\":\"#\"},\"definitions\":{\"type\":\"obje"
	  "ct\",\"additionalProperties\":{\"$ref\":\"#\"},\"default\":{"
	  "}},\"properties\":{\"type\":\"object\",\"additionalPropertie"
	  "s\":{\"$ref\":\"#\"},\"default\":{}},\"patternProperties\":{"
	  "\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#\""
	  "},\"propertyNames\":{\"format\":\"regex\"},\"default\":{}},"
	  "\"dependencies\":{\"type\":\"object\",\"additionalProperties"
	  "\":{\"anyOf\":[{\"$ref\":\"#\"},{\"$ref\":\"#/definitions/st"
	  "ringArray\"}]}},\"propertyNames\":{\"$ref\":\"#\"},\"const\""
	  ":true,\"enum\":{\"type\":\"array\",\"items\":true},\"type\":"
	  "{\"anyOf\":[{\"$ref\":\"#/definitions/simpleTypes\"},{\"type"
	  "\":\"array\",\"items\":{\"$ref\":\"#/definitions/simpleTypes"
	  "\"},\"minItems\":1,\"uniqueItems\":true}]},\"format\":{\"typ"
	  "e\":\"string\"},\"contentMediaType\":{\"type\":\"string\"},"
	  "\"contentEncoding\":{\"type\":\"string\"},\"if\":{\"$ref\":"
	  "\"#\"},\"then\":{\"$ref\":\"#\"},\"else\":{\"$ref\":\"#\"},"
	  "\"allOf\":{\"$ref\":\"#/definitions/schemaArray\"},\"anyOf\""
	  ":{\"$ref\":\"#/definitions/schemaArray\"},\"oneOf\":{\"$ref"
	  "\":\"#/definitions/schemaArray\"},\"not\":{\"$ref\":\"#\"}},"
	  "\"default\":true}" },
};

const char *sr_schema__meta_text(const char *uri)
{
	size_t i;

	for (i = 0; i < sizeof(metas) / sizeof(metas[0]); i++)
		if (!strcmp(metas[i].uri, uri))
			return metas[i].text;
	return NULL;
}

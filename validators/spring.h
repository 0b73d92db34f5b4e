/*
 * Spring Boot configuration and Java sources (SPEC.md 4.2), shared between
 * spring.c (resilience4j in application*.yml and .properties, and the
 * cross-file circuit-breaker rules), spring_props.c (the .properties
 * reader) and java.c (the annotation scan). Semi-private: nothing outside
 * validators/spring*.c and java.c uses it.
 */
#ifndef SR_VALIDATORS_SPRING_H
#define SR_VALIDATORS_SPRING_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pos.h"
#include "check/check.h"

/*
 * One key/value pair of a .properties file, unescaped, with where its
 * key and its value start (the value's position is just past the
 * separator when the value is empty).
 */
struct sr_spring_prop {
	char *key;
	char *value;
	struct sr_pos key_pos;
	struct sr_pos value_pos;
	unsigned doc;	/* 0-based; "#---" / "!---" lines separate documents */
};

struct sr_spring_props {
	struct sr_spring_prop *v;
	size_t n;
	size_t cap;
	unsigned ndocs;
};

/*
 * Read java.util.Properties syntax as Spring Boot does: key=value,
 * key:value and "key value"; comment lines starting with '#' or '!';
 * a backslash at the end of a line continues it (the next line's leading
 * white space is dropped); escapes \t \n \r \f \uXXXX and \<char>;
 * Spring Boot's "#---" document separators. Never fails: what it cannot
 * read it keeps as written.
 */
void sr_spring_props_parse(struct sr_spring_props *out, const char *text,
			   size_t len);
void sr_spring_props_release(struct sr_spring_props *p);

/*
 * java.c: a Java source file was checked, so srctl sees the code of the
 * service it belongs to (cb/missing reports only where breakers would be
 * visible).
 */
void sr_spring__note_source(struct sr_ctx *ctx);

#endif

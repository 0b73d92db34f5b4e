/*
 * A position in a source file. Lines and columns are 1-based; columns count
 * Unicode code points (not bytes), as libyaml does and as editors show them.
 * line 0 means "the whole file". 'offset' is a 0-based index into the
 * text whose unit its producer documents: bytes for sr_utf8_check,
 * characters (libyaml's index) for document nodes.
 */
#ifndef SR_POS_H
#define SR_POS_H

#include <stddef.h>

struct sr_pos {
	unsigned line;
	unsigned col;
	size_t offset;
};

#endif

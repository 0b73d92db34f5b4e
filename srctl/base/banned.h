/*
 * Functions srctl does not use: unbounded copies, hidden static state and
 * silent conversion failures. Included by every srctl source file after the
 * system headers, so a use becomes a compile error.
 */
#ifndef SR_BANNED_H
#define SR_BANNED_H

#define SR_BANNED(func) sorry_##func##_is_banned_in_srctl

#undef strcpy
#define strcpy(x, y) SR_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SR_BANNED(strcat)
#undef sprintf
#define sprintf(...) SR_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SR_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) SR_BANNED(strtok)
#undef atoi
#define atoi(x) SR_BANNED(atoi)
#undef atol
#define atol(x) SR_BANNED(atol)
#undef gmtime
#define gmtime(x) SR_BANNED(gmtime)
#undef localtime
#define localtime(x) SR_BANNED(localtime)
#undef gets
#define gets(x) SR_BANNED(gets)

#endif

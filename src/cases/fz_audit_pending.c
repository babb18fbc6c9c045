/* fz_audit_pending.c — TEMPORARY: delete when fz_audit.c (branch cases)
 * is merged.
 *
 * The token, rule and customer actions of branch admin append audit entries
 * through fz_audit.h, whose implementation is written in parallel on
 * another branch. Until it lands, this weak stand-in lets `fanzha` link: it
 * writes nothing and says so once on stderr, so no one mistakes a build
 * without the audit chain for one with it. The real, strong definition
 * overrides it wherever fz_audit.o is linked in; keeping both in the
 * library is still wrong, because a binary that references only
 * fz_audit_append could pull this member instead. */
#include <stdio.h>

#include "fz_audit.h"

__attribute__((weak)) int fz_audit_append(fz_db *db, const fz_principal *who, const char *action,
                                          const char *object, const json_t *detail, fz_error *err) {
    static int warned;
    (void)db, (void)who, (void)object, (void)detail, (void)err;
    if (!warned++) fprintf(stderr, "fanzha: audit chain not built in; '%s' not recorded\n", action);
    return 0;
}

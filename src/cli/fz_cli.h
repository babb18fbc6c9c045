/* fz_cli.h — the fanzha command's subcommands, one file each in src/cli/.
 *
 * Each takes the arguments after its own name (argv[0] is the subcommand)
 * and returns the process exit status: 0 success, 1 the job found a
 * problem it reports (e.g. --strict reject), 2 usage or fatal error. */
#ifndef FZ_CLI_H
#define FZ_CLI_H

int fz_cmd_scan(int argc, char **argv);  /* cmd_scan.c: batch scan */
int fz_cmd_gen(int argc, char **argv);   /* cmd_gen.c: synthetic bank data */
int fz_cmd_rules(int argc, char **argv); /* cmd_rules.c: check and list rule packs */
int fz_cmd_features(int argc, char **argv); /* cmd_scan.c: each row's feature vector */
int fz_cmd_eval(int argc, char **argv);     /* cmd_scan.c: split, train, test */
int fz_cmd_train(int argc, char **argv);    /* cmd_scan.c: the same, keeping the model */
int fz_cmd_token(int argc, char **argv);    /* cmd_token.c: the server's API tokens */

int fz_cmd_serve(int argc, char **argv);    /* cmd_serve.c: the HTTP service */
int fz_cmd_send(int argc, char **argv);     /* cmd_send.c: feed a file to a server */
int fz_cmd_audit(int argc, char **argv);    /* cmd_audit.c: check the audit hash chain */
int fz_cmd_report(int argc, char **argv);   /* cmd_report.c: regulator's report files */
int fz_cmd_customers(int argc, char **argv); /* cmd_customers.c: import, grade, due list */

#endif

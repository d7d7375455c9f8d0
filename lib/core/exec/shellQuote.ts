/**
 * POSIX single quoting: the one way an argv element is turned into shell text. Used at the SSH
 * edge (a remote sshd hands the command line to the user's shell) and to print commands a user
 * can paste. Inside single quotes nothing is special but the quote itself, written as '\''.
 */
// A leading `=` or `%` is left quoted: zsh expands `=cmd`, and some shells treat `%` as a job spec.
const SAFE = /^[A-Za-z0-9_@+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

export function quoteArg(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

/**
 * Which lines count as errors (upstream §11.2): a case-insensitive substring test of the message against fixed
 * keywords, so `failed`, `NullPointerException` and `5xx server error` all count. Labels are not examined.
 */

// One alternation with the `i` flag measured faster here than lower-casing each message and testing keywords.
const ERROR_KEYWORDS = /error|panic|fatal|exception|fail|refused|timeout|oomkilled|crashloopbackoff|segfault|x509|deadline exceeded/i;

export function isErrorMessage(msg: string): boolean {
  return ERROR_KEYWORDS.test(msg);
}

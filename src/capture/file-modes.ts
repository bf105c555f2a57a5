/** Permissions promised by the product README: capture directories 0700, files 0600. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

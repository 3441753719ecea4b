/** The Meshlens version, shown in the UI, the CLI and exported pictures. */
export const VERSION = '0.1.0';

/** Placeholder: the real global setup comes with the foundation branch. */
export function setup(): void {}

/** A problem the member can fix or should know about; its message is shown to them as is. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

// Reasons a page request stops before its handler; WebExceptionFilter turns each into the right answer.

/** No signed-in session (or it has ended): the browser is sent to the sign-in page and brought back. */
export class SignInRequired extends Error {
  constructor() {
    super('sign in required');
    this.name = 'SignInRequired';
  }
}

/** A form post whose CSRF token is missing or is not the session's (an old tab, or another site). */
export class FormExpired extends Error {
  constructor() {
    super('the form has expired');
    this.name = 'FormExpired';
  }
}

/** An error in words, announced to screen readers as it appears, next to what caused it. */
export const ErrorNotice = ({ error }: { error: string | null }) =>
  error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;

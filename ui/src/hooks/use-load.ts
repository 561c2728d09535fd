import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/errors";

/** Loads something once (and again on `reload`): its data, or the error in words. */
export function useLoad<T>(load: () => Promise<T>): { data: T | null; error: string | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    load().then(
      (value) => {
        setData(value);
        setError(null);
      },
      (e) => setError(messageOf(e)),
    );
  useEffect(() => {
    void reload();
  }, []);
  return { data, error, reload };
}

/** Runs one action at a time: busy while it runs, its error in words afterwards. */
export function useAction(): { busy: boolean; error: string | null; run: (work: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

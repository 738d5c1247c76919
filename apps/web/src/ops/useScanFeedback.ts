/** The message under the scan field and the busy flag around a server call; errors beep and show. */
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { signalError } from './feedback.ts';
import type { ScanMessage } from './ScanInput.tsx';

export function useScanFeedback() {
  const [message, setMessage] = useState<ScanMessage>(null);
  const [busy, setBusy] = useState(false);
  const fail = (text: string) => {
    signalError();
    setMessage({ type: 'error', text });
  };
  /** Runs a call with the field disabled; a refused call shows the server's code and message. */
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      fail(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { message, setMessage, busy, fail, run };
}

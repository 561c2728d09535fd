import { setupServer } from "msw/node";

/** The outside world (360dialog, WhatsApp, subscribers): any request no test expects fails the test. */
export const upstream = setupServer();

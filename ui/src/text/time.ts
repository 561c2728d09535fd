/** How the app shows times, in the browser's locale: a day and a time, or a time alone. */
export const dateTime = (d: Date) => d.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
export const timeOfDay = (d: Date) => d.toLocaleTimeString([], { timeStyle: "short" });

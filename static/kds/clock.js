// The restaurant's clock on every screen: its time zone and its format (24 h or 12 h),
// whatever the device is set to (config.clock, from orders.kitchen.clock).

export function clockText(ms, clock = {}) {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: clock.hour12 ? "h12" : "h23" };
  if (clock.hour12) options.hour = "numeric";
  try {
    return new Date(ms).toLocaleTimeString(document.documentElement.lang || [], {
      ...options,
      timeZone: clock.time_zone || undefined,
    });
  } catch (err) {
    // A zone this browser does not know: the device's own, in the same format.
    return new Date(ms).toLocaleTimeString(document.documentElement.lang || [], options);
  }
}

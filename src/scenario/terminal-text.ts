/**
 * Text that came from a scenario or a manifest, made safe to print on a terminal: control
 * characters (C0, DEL, C1 — hence every ANSI CSI and OSC sequence, which start with ESC or CSI)
 * and the Unicode bidirectional overrides are shown escaped (`\x1b`, `\u202e`) instead of being
 * obeyed. The one helper for every error and warning that quotes scenario text.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

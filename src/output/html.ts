/**
 * Escapes text for HTML element content and double- or single-quoted attribute values (SVG too).
 * Registry-provided strings (repository and tag names, digests, policy paths) always pass through here.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

export function html(strings: TemplateStringsArray, ...values: (string | number | Html | Html[])[]): Html {
  let text = strings[0]
  values.forEach((value, index) => {
    const part = Array.isArray(value)
      ? value.map((item) => item.text).join('')
      : value instanceof Html
        ? value.text
        : escapeHtml(String(value))
    text += part + strings[index + 1]
  })
  return new Html(text)
}

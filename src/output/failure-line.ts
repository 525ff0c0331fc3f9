/**
 * One stderr line for a failed item of a bulk command: `label: message`, or the message alone when
 * it already names the item (`host/repo:tag: …`), so the reference is not written twice.
 */
export function failureLine(label: string, reference: string, message: string): string {
  return message.includes(reference) ? message : `${label}: ${message}`
}

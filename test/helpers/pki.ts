import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** Test certificates made with openssl in a temp dir: a CA, a server cert for 127.0.0.1, a client cert, a token-signing cert. */
export interface TestPki {
  dir: string
  caCert: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  /** Self-signed cert + key a token server signs JWTs with (the registry's rootcertbundle). */
  tokenCert: string
  tokenKey: string
  cleanup(): void
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, {cwd, stdio: ['ignore', 'ignore', 'pipe']})
}

function signed(dir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions)
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir)
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  )
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'reglens-pki-'))
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=reglens test CA'],
    dir,
  )
  signed(dir, 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  signed(dir, 'client', '/CN=reglens-client', 'extendedKeyUsage=clientAuth\n')
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'token.key',
      '-out',
      'token.crt',
      '-days',
      '2',
      '-subj',
      '/CN=reglens token issuer',
    ],
    dir,
  )
  const at = (file: string) => join(dir, file)
  return {
    dir,
    caCert: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    tokenCert: at('token.crt'),
    tokenKey: at('token.key'),
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  }
}

/** An htpasswd file (bcrypt, as registry:2 requires) made with apache2-utils' `htpasswd -Bbn`. */
export function makeHtpasswd(dir: string, users: Record<string, string>): string {
  const lines = Object.entries(users).map(([user, password]) =>
    execFileSync('htpasswd', ['-Bbn', user, password], {encoding: 'utf8'}).trim(),
  )
  const path = join(dir, 'htpasswd')
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

/**
 * A minimal SMTP server for tests: the real Node server sends its email through it
 * (SMTP_URL=smtp://127.0.0.1:<port>, nodemailer as in production) and the test reads the
 * messages, e.g. to follow a confirmation link. Plain SMTP without TLS or auth; decodes
 * quoted-printable and base64 bodies.
 */
import { createServer, type Server, type Socket } from "node:net";

export interface SunkMail {
  to: string[];
  headers: string;
  text: string;
}

export interface MailSink {
  url: string;
  mails: SunkMail[];
  /** Waits until a message to `to` whose text matches `pattern` arrives; returns the match. */
  waitFor(to: string, pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i] as string;
    if (c === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function parse(raw: string, to: string[]): SunkMail {
  const split = raw.indexOf("\r\n\r\n");
  const headers = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : "";
  const encoding = /^content-transfer-encoding:\s*([\w-]+)/im.exec(headers)?.[1]?.toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(body)
      : encoding === "base64"
        ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
        : body;
  return { to, headers, text };
}

export async function startMailSink(): Promise<MailSink> {
  const mails: SunkMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setEncoding("utf8");
    let buffer = "";
    let inData = false;
    let data: string[] = [];
    let rcpt: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 mail-sink ESMTP");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf("\r\n"); nl >= 0; nl = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            mails.push(parse(data.join("\r\n"), rcpt));
            data = [];
            rcpt = [];
            reply("250 OK queued");
          } else {
            data.push(line.startsWith("..") ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") {
          reply("250-mail-sink");
          reply("250-8BITMIME");
          reply("250 SMTPUTF8");
        } else if (verb === "HELO") reply("250 mail-sink");
        else if (verb === "MAIL") {
          rcpt = [];
          reply("250 OK");
        } else if (verb === "RCPT") {
          const address = /<([^>]*)>/.exec(line)?.[1];
          if (address) rcpt.push(address.toLowerCase());
          reply("250 OK");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (verb === "QUIT") {
          reply("221 Bye");
          socket.end();
        } else if (verb === "RSET" || verb === "NOOP") reply("250 OK");
        else reply("502 Command not implemented");
      }
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, pattern, timeoutMs = 75_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const m of mails) {
          if (!m.to.includes(to.toLowerCase())) continue;
          const match = pattern.exec(m.text);
          if (match) return match;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `no mail to ${to} matching ${pattern} in ${timeoutMs} ms; got: ${mails.map((m) => m.to.join(",")).join(" | ")}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

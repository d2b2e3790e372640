import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives, for mail tests. */
export async function startSmtpServer() {
  const messages: ReceivedMail[] = [];
  /** Addresses the server refuses at RCPT TO (550), for tests of a failed delivery. */
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const [head = "", ...rest] = raw.split("\r\n\r\n");
        const headers: Record<string, string> = {};
        for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
          const index = line.indexOf(":");
          if (index > 0) headers[line.slice(0, index).toLowerCase()] = line.slice(index + 1).trim();
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: headers.subject ?? "",
          headers,
          body: rest.join("\r\n\r\n").replace(/=\r\n/g, ""),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

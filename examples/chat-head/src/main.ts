import { createInterface } from 'node:readline/promises';
import { createConversation, HELP, handleUtterance } from './conversation.js';

// The terminal stands in for a voice or chat platform: each line is what the shopper said.
const baseUrl = (process.env.MERX_URL ?? 'http://localhost:4000').replace(/\/+$/, '');

async function publishableKey(): Promise<string> {
  if (process.env.MERX_PK) return process.env.MERX_PK;
  // Without a key of its own, borrow the web store's (what the storefront reads at start).
  const response = await fetch(`${baseUrl}/storefront-config.json`).catch(() => null);
  const config = response?.ok ? ((await response.json()) as { publishable_key: string | null }) : null;
  if (!config?.publishable_key) {
    console.error(
      `No publishable key: set MERX_PK to the Voice channel's key (printed by \`npm start\`), and MERX_URL if the API is not on ${baseUrl}.`,
    );
    process.exit(1);
  }
  console.log(
    "(MERX_PK not set: using the web store's key; set it to the Voice channel's key for voice answers.)",
  );
  return config.publishable_key;
}

const conversation = createConversation({ baseUrl, publishableKey: await publishableKey() });
const terminal = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
console.log(`Merx chat on ${baseUrl}. ${HELP} Say "bye" to leave.`);
terminal.prompt();
// The line iterator buffers what is typed (or piped in) while an answer is still on its way.
for await (const line of terminal) {
  const said = line.trim();
  if (/^(bye|quit|exit)$/i.test(said)) break;
  if (said) console.log(`shop> ${await handleUtterance(conversation, said)}`);
  terminal.prompt();
}
terminal.close();

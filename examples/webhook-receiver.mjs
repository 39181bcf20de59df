import http from 'node:http';
import { verifyWebhook } from '@taskgate/client';

// During a secret rotation, list both secrets: TASKGATE_WEBHOOK_SECRET="whsec_new whsec_old".
const secrets = (process.env.TASKGATE_WEBHOOK_SECRET ?? '').split(' ').filter(Boolean);

http
  .createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      // The raw bytes, before any JSON parsing: the signature covers them exactly.
      const event = await verifyWebhook(Buffer.concat(chunks), req.headers, secrets);
      console.log(`${req.headers['webhook-id']} ${event.type} ${event.data.resourceId}`);
      res.writeHead(204).end(); // answer fast; do slow work after
    } catch (error) {
      console.error(`refused: ${error.message}`);
      res.writeHead(400).end();
    }
  })
  .listen(Number(process.env.PORT ?? 3000));

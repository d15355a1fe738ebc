# One SmartQueue node, bundled by esbuild into dist/start.mjs and run by Node 20 (DESIGN.md).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No install scripts: the bundle needs none, and FerretDB is not wanted beside MongoDB.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY . .
# The install-time patches a running node needs: a restarted live node admits sooner, and
# Agenda fills a job name's queue once at a time, and sets a job's timer again when it fired early (scripts/patch-agenda.sh).
RUN bash scripts/patch-moleculer.sh && bash scripts/patch-agenda.sh && node scripts/build.mjs
USER node
EXPOSE 3000 3001 3030
# The flags of `npm start` (package.json; README, "The two commands"); test/node/start.test.ts checks they match.
CMD ["node", "--max-semi-space-size=32", "dist/start.mjs"]

# One SmartQueue node, run by tsx (a runtime dependency). Node 20: see DESIGN.md.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No install scripts: tsx needs none, and FerretDB is not wanted beside MongoDB.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY . .
USER node
EXPOSE 3000 3001 3030
CMD ["npx", "tsx", "scripts/start.ts"]

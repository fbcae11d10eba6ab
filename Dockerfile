# The SettleOps agent as an AgentCore Runtime container: ARM64, `POST /invocations` and `GET /ping`
# on 0.0.0.0:8080 (the container contract). Build with:
#   docker buildx build --platform linux/arm64 -t settleops-agent .
#
# Configuration comes from the runtime's environment (README.md, "Configuration"). On AWS set at
# least DYNAMODB_ENDPOINT (e.g. https://dynamodb.us-east-1.amazonaws.com) and SETTLEOPS_TABLE: with
# no DynamoDB endpoint SettleOps would try to start an embedded DynamoDB Local, which needs Java.
# With a shared DynamoDB it also needs AUDIT_KMS_KEY_ID (a KMS HMAC key): every instance signs audit
# records with the key derived from it, and the container refuses to start without it.
# BEDROCK_MODEL_ID selects a Bedrock model; without it the offline planner answers.

# Stage 1: compile TypeScript to dist/ with the dev dependencies.
FROM --platform=linux/arm64 node:20-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied in.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Stage 2: production dependencies and the compiled output only; no compiler at run time.
FROM --platform=linux/arm64 node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    NODE_NO_WARNINGS=1 \
    SETTLEOPS_DATA_DIR=/tmp/settleops
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /build/dist ./dist
COPY bin ./bin

USER node
EXPOSE 8080
CMD ["node", "dist/app/agent-container.js"]

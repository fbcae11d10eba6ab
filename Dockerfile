# The SettleOps agent as an AgentCore Runtime container: ARM64, `POST /invocations` and `GET /ping`
# on 0.0.0.0:8080 (the container contract). Build with:
#   docker buildx build --platform linux/arm64 -t settleops-agent .
# The sources run through tsx (a runtime dependency), so there is no build step.
#
# Configuration comes from the runtime's environment (README.md, "Configuration"). On AWS set at
# least DYNAMODB_ENDPOINT (e.g. https://dynamodb.us-east-1.amazonaws.com) and SETTLEOPS_TABLE: with
# no DynamoDB endpoint SettleOps would try to start an embedded DynamoDB Local, which needs Java.
# BEDROCK_MODEL_ID selects a Bedrock model; without it the offline planner answers.
FROM --platform=linux/arm64 node:20-slim

WORKDIR /app
ENV NODE_ENV=production \
    NODE_NO_WARNINGS=1 \
    SETTLEOPS_DATA_DIR=/tmp/settleops

# --ignore-scripts: the postinstall fetches DynamoDB Local, which the container does not use.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src

USER node
EXPOSE 8080
CMD ["node", "bin/settleops.js", "agent"]

/**
 * The one model call consolidation makes, as a port: memory cannot depend on the agents module, so
 * the composition root adapts its Bedrock Converse client to this shape. Returns the model's text.
 */
export interface FactModel {
  complete(input: {
    readonly system: string;
    readonly prompt: string;
    readonly maxTokens: number;
  }): Promise<string>;
}

/**
 * The model names openapi.yaml documents are exactly the rows of the rules table, so a model
 * added to one and forgotten in the other fails here.
 */
import { MODEL_RULES } from '../../server/models/rules';
import { testContract } from '../helpers/expect-to-match-spec';

type Schema = { anyOf?: Array<{ enum?: string[] }> };

describe('the models of openapi.yaml', () => {
  it('are the rows of the rules table', () => {
    const schemas = (testContract().document.components as { schemas: Record<string, Schema> }).schemas;
    const listed = (schemas.ImageEditModel?.anyOf ?? []).flatMap((branch) => branch.enum ?? []);
    expect([...listed].sort()).toEqual(MODEL_RULES.map((rules) => rules.id).sort());
  });
});

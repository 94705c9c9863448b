import { ColumnDefinitionNode, DataTypeNode, DefaultValueNode, OperationNodeTransformer, RawNode, ValueNode, type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';

/**
 * The frozen migrations are written once, with SQLite's column types (as Django's SQLite backend
 * names them). On PostgreSQL this plugin gives each column what Django's PostgreSQL backend would:
 * `serial` for an auto-incrementing key, `timestamp with time zone` for a datetime, `false`/`true`
 * for a boolean's 0/1 default, and foreign keys checked at commit (DEFERRABLE INITIALLY DEFERRED),
 * so that loaddata may insert rows in any order, as Django's PostgreSQL schema allows. It changes
 * column definitions only; queries pass untouched.
 */
export class PostgresSchemaPlugin implements KyselyPlugin {
  private readonly transformer = new PostgresColumns();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const kind = args.node.kind;
    return kind === 'CreateTableNode' || kind === 'AlterTableNode' ? this.transformer.transformNode(args.node) : args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const dataType = (node: OperationNode): string | null => (DataTypeNode.is(node) ? node.dataType : null);

class PostgresColumns extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    let column = super.transformColumnDefinition(node);
    const type = dataType(column.dataType);
    if (column.autoIncrement && type === 'integer') {
      column = ColumnDefinitionNode.cloneWith(ColumnDefinitionNode.create(column.column.column.name, DataTypeNode.create('serial')), { ...withoutDataType(column), autoIncrement: false });
    } else if (type === 'datetime') {
      column = ColumnDefinitionNode.cloneWith(ColumnDefinitionNode.create(column.column.column.name, DataTypeNode.create('timestamptz')), withoutDataType(column));
    }
    const fallback = column.defaultTo?.defaultValue;
    if (type === 'boolean' && fallback && ValueNode.is(fallback) && (fallback.value === 0 || fallback.value === 1)) {
      column = ColumnDefinitionNode.cloneWith(column, { defaultTo: DefaultValueNode.create(RawNode.createWithSql(fallback.value === 1 ? 'true' : 'false')) });
    }
    if (column.references && !column.check) {
      column = ColumnDefinitionNode.cloneWithEndModifier(column, RawNode.createWithSql('deferrable initially deferred'));
    }
    return column;
  }
}

function withoutDataType(node: ColumnDefinitionNode): Omit<ColumnDefinitionNode, 'kind' | 'dataType' | 'column'> {
  const { kind: _kind, dataType: _type, column: _column, ...rest } = node;
  return rest;
}

"""The value types store, services and api share, one module per aggregate.

msgspec Structs: the store returns them, services take and return them, the API sends them
as they are (its own request and response shapes live beside each controller). Nothing here
imports a layer: models sit below store/, services/ and api/ alike.
"""
